"""Collections: saved requests as plain files a team reviews in git (no Qt here)."""
