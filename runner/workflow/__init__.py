"""The observation/promotion workflow: observe, promote, the ledger and sharding."""
