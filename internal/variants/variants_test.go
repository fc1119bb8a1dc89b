package variants

import "testing"

// TestShiftObjects: n bytes of comment go after the header line, whatever
// its line end, and nothing else changes.
func TestShiftObjects(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"%PDF-1.4\n1 0 obj", "%PDF-1.4\n%xxxxxxxx\n1 0 obj"},
		{"%PDF-1.4\r\n1 0 obj", "%PDF-1.4\r\n%xxxxxxxx\n1 0 obj"},
		{"%PDF-1.4\r1 0 obj", "%PDF-1.4\r%xxxxxxxx\n1 0 obj"},
	} {
		got := string(ShiftObjects([]byte(tt.in), 10))
		if got != tt.want || len(got) != len(tt.in)+10 {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
}
