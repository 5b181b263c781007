package scenarios

import (
	"fmt"
	"strconv"

	"github.com/vsssim/vsssim/requestor/vss"
)

// cmdPoll is "poll [max=N]": QueryStatus on the last async operation until
// it is no longer VSS_S_ASYNC_PENDING, as a requestor that never calls Wait
// does (breeze, qemu-ga's DoSnapshotSet loop), at most N times (default
// 1000). It prints the final status and how many polls it took.
func (r *runner) cmdPoll(args []Arg) (string, error) {
	if err := checkArgs(args, []string{"max"}, nil, 0); err != nil {
		return "", err
	}
	limit := 1000
	if s, ok := keyed(args, "max"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1_000_000 {
			return "", fmt.Errorf("max=%q is not a number from 1 to 1000000", s)
		}
		limit = n
	}
	ref, err := r.lastAsync()
	if err != nil {
		return "", err
	}
	polls := 0
	for polls < limit {
		polls++
		st, err := ref.a.QueryStatus()
		if err != nil {
			return "QueryStatus: " + vss.Code(err).String(), nil
		}
		if st != vss.VSS_S_ASYNC_PENDING {
			r.cover(ref.method + " async " + st.String())
			return fmt.Sprintf("%s after %d polls", st.String(), polls), nil
		}
	}
	return fmt.Sprintf("%s after %d polls", vss.VSS_S_ASYNC_PENDING.String(), polls), nil
}
