"""Community voice: what Community Champions, Healthwatch and others heard, and what changed."""
