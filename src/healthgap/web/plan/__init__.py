"""The shared action plan: priorities, population groups, localities, actions, updates."""
