"""The consultant's pages: clients, their assessments, branding and downloads."""
