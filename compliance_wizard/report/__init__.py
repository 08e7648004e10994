"""The PDF report: renders Result.to_dict() output with WeasyPrint, fetching nothing but our own static files."""
