package scenarios

import (
	"fmt"
	"strings"

	"github.com/vsssim/vsssim/requestor/vss"
)

// VShadowStatus renders writer status rows as vshadow -ws lists them: a
// header line, the number of writers that responded, then one block per
// writer with its state, failure code, writer class id and instance id.
// Lines vshadow does not print (an application error from
// GetWriterStatusEx) are marked "(vsssim)".
func VShadowStatus(rows []vss.WriterStatus) string {
	var b strings.Builder
	b.Grow(64 + 256*len(rows)) // a row is about 230 bytes: no regrowth for 100,000 writers
	b.WriteString("Listing writer status ...\n")
	fmt.Fprintf(&b, "- Number of writers that responded: %d\n", len(rows))
	for _, st := range rows {
		fmt.Fprintf(&b, "\n* WRITER %q\n", st.Name)
		fmt.Fprintf(&b, "   - Status: %d (%v)\n", int32(st.State), st.State)
		fmt.Fprintf(&b, "   - Writer Failure code: 0x%08x (%s)\n", uint32(st.Failure), st.Failure.String())
		fmt.Fprintf(&b, "   - Writer ID: {%v}\n", st.WriterID)
		fmt.Fprintf(&b, "   - Instance ID: {%v}\n", st.InstanceID)
		if st.ApplicationError != vss.S_OK || st.ApplicationMessage != "" {
			fmt.Fprintf(&b, "   - Application error (vsssim): 0x%08x (%s) %q\n", uint32(st.ApplicationError), st.ApplicationError.String(), st.ApplicationMessage)
		}
	}
	return b.String()
}
