// Removed once the suite's files land.
