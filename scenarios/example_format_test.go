package scenarios_test

import (
	"errors"
	"fmt"

	"github.com/vsssim/vsssim/scenarios"
)

// Format writes outputs back as expectations (what -rewrite does): a blank
// line ends each one, and an output with blank lines goes between doubled
// "----" lines.
func ExampleFile_Format() {
	f, err := scenarios.Parse("example.txt", []byte("new\ncall InitializeForBackup\nnow\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	outputs := map[*scenarios.Directive]string{
		f.Directives[1]: "S_OK",
		f.Directives[2]: "first\n\nthird",
	}
	fmt.Print(f.Format(outputs))
	// Output:
	// new
	// call InitializeForBackup
	// ----
	// S_OK
	//
	// now
	// ----
	// ----
	// first
	//
	// third
	// ----
	// ----
}

// A scenario that states no expectation passes but tested nothing:
// NothingChecked says so.
func ExampleResult_NothingChecked() {
	f, err := scenarios.Parse("empty.txt", []byte("new\ncall InitializeForBackup\n----\nS_OK\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := scenarios.RunOn(f, "sim")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.OK(), res.Checked, res.NothingChecked())

	f, _ = scenarios.Parse("empty.txt", nil)
	res, _ = scenarios.RunOn(f, "sim")
	err = res.NothingChecked()
	fmt.Println(res.OK(), res.Checked, errors.Is(err, scenarios.ErrNoExpectations))
	fmt.Println(err)
	// Output:
	// true 1 <nil>
	// true 0 true
	// empty.txt: the scenario checks nothing: no command has an expected output ("----")
}
