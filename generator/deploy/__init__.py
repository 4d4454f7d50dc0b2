"""Publishing a built site to object storage: plan by content hash, then upload and delete in a safe order."""
