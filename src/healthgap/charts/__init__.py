"""Chart builders shared by the web dashboard and the board report.

Each builder returns self-contained markup (inline SVG) made on the server, so that charts
work without JavaScript, map tiles or an internet connection, and print as drawn.
"""
