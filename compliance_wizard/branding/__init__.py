"""Whose name a report carries: a consultant's (and, later, a chamber's) name, address, logo and colour."""
