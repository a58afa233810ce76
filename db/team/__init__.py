"""Team mode (issue 22): each analyst's judgement kept apart, the team's view of them, and shared
facts written with optimistic concurrency."""
