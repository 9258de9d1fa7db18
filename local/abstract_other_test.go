//go:build !linux

package local_test

import (
	"errors"
	"testing"

	"github.com/qsock/qsock/local"
)

func TestAbstractNamespaceUnsupported(t *testing.T) {
	tmpdir(t)
	srv := local.NewServer(nil)
	srv.SetSocketOptions(local.AbstractNamespaceOption)
	if err := srv.Listen("x"); !errors.Is(err, local.UnsupportedSocketOperationError) {
		t.Fatalf("Listen: %v", err)
	}
	c := local.NewSocket(nil)
	c.SetSocketOptions(local.AbstractNamespaceOption)
	ev := record(c)
	c.ConnectToServer("x")
	ev.Check(t, "abstract", "state:ConnectingState", "error:UnsupportedSocketOperationError", "state:UnconnectedState")
}
