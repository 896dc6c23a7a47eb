"""One module per report section: each turns validated inputs into plain data for the template."""
