package schema

// SetCommitHook sets the hook called before each write, rename and
// removal of a commit (commitHook), for the tests of package schema_test,
// and returns what restores the previous one.
func SetCommitHook(f func(what string)) (restore func()) {
	old := commitHook
	commitHook = f
	return func() { commitHook = old }
}
