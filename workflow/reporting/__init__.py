"""Reports and exports: the quarterly report, spreadsheets and calendar feeds, as bytes."""
