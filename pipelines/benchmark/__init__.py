"""Synthetic inputs for measuring pipeline throughput (see ``corpus``)."""
