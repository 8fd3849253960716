"""Plan definition files shipped with Giao Việc; the Việt Hưng 2026 plan is the default."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).parent
DEFAULT_PLAN = "viet-hung-2026-nq57"


def shipped_plans() -> list[str]:
    """Names of the plan files in this package, without ``.yaml``."""
    return sorted(path.stem for path in FOLDER.glob("*.yaml"))


def plan_path(name_or_path: str) -> Path:
    """A plan file given by path, or by the name of a shipped plan (``viet-hung-2026-nq57``)."""
    path = Path(name_or_path)
    if path.exists() or (name_or_path.endswith((".yaml", ".yml")) and path.parent != Path(".")):
        return path
    shipped = FOLDER / f"{name_or_path.removesuffix('.yaml')}.yaml"
    return shipped if shipped.exists() else path
