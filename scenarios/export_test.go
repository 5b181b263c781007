package scenarios

// SetTraceBudget lowers the trace budget for a test; the returned function
// restores it.
func SetTraceBudget(n int) (restore func()) {
	old := traceBudget
	traceBudget = n
	return func() { traceBudget = old }
}
