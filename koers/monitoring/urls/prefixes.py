"""The two sides of every monitoring URL: the person's own pages and the professional's about a person."""

PRO = "personen/<int:person_id>/bijhouden/"
PORTAL = "mijn/bijhouden/"
