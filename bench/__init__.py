"""`make bench`: the benchmark of the production stack on loopback (see bench/README.md)."""
