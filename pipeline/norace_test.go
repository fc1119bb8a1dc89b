package pipeline

// raceEnabled reports whether the tests run with the race detector.
var raceEnabled bool
