package main

import "testing"

func TestTransferArrivesWhole(t *testing.T) {
	for _, tc := range []struct{ total, payload int64 }{
		{8 << 20, 64 << 10},
		{1000, 7},
		{1, 64 << 10},
	} {
		r, err := run(tc.total, tc.payload, false)
		if err != nil {
			t.Fatalf("%d bytes in %d-byte payloads: %v", tc.total, tc.payload, err)
		}
		if r.received != tc.total {
			t.Fatalf("received %d, want %d", r.received, tc.total)
		}
	}
}
