"""The lead office's outputs: downloads (one report, the whole campaign) and reminders."""
