//go:build race

package schema_test

// raceEnabled: the tests run under the race detector.
const raceEnabled = true
