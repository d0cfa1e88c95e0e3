"""Push files, folders and kernel objects to the Hub: plan, secret scan, object sources, the panel."""
