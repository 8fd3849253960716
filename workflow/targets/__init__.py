"""Targets (chỉ tiêu) followed quarter by quarter: the figures units report, what the ward
reached, whether each target is on track (``status``), and the explanation a leader may ask of a
unit when one is not (``explanations``)."""
