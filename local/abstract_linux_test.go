package local_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/qsock/qsock/local"
	"github.com/qsock/qsock/socket"
)

func abstractName(t *testing.T, tag string) string {
	return fmt.Sprintf("qsock-test-%d-%s-%s", os.Getpid(), t.Name(), tag)
}

func TestAbstractNamespace(t *testing.T) {
	dir := tmpdir(t)
	name := abstractName(t, "a")
	srv := local.NewServer(nil)
	srv.SetSocketOptions(local.AbstractNamespaceOption)
	if err := srv.Listen(name); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if srv.FullServerName() != name {
		t.Fatalf("FullServerName %q, want the bare name", srv.FullServerName())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("an abstract server made files: %v", ents)
	}
	if b, err := os.ReadFile("/proc/net/unix"); err == nil && !strings.Contains(string(b), "@"+name) {
		t.Errorf("@%s not in /proc/net/unix", name)
	}
	c := local.NewSocket(nil)
	c.SetSocketOptions(local.AbstractNamespaceOption)
	ev := record(c)
	c.ConnectToServer(name)
	ev.Check(t, "abstract connect", "state:ConnectingState", "state:ConnectedState", "connected")
	if c.FullServerName() != name {
		t.Errorf("client FullServerName %q", c.FullServerName())
	}
	p := accept(t, srv)
	if p.FullServerName() != name || p.SocketOptions()&local.AbstractNamespaceOption == 0 {
		t.Errorf("accepted: %q %v", p.FullServerName(), p.SocketOptions())
	}
	c.Abort()

	// A plain client looks for a file: ServerNotFoundError, as Qt.
	plain := local.NewSocket(nil)
	ev = record(plain)
	plain.ConnectToServer(name)
	ev.Check(t, "plain client", "state:ConnectingState", "error:ServerNotFoundError", "state:UnconnectedState")

	// An abstract client with no abstract server: the kernel refuses.
	c.SetSocketOptions(local.AbstractNamespaceOption)
	ev = record(c)
	c.ConnectToServer(abstractName(t, "none"))
	ev.Check(t, "no abstract server", "state:ConnectingState", "error:ConnectionRefusedError", "state:UnconnectedState")

	// An abstract server's name matches exactly: a trailing NUL is part of it.
	nul := local.NewServer(nil)
	nul.SetSocketOptions(local.AbstractNamespaceOption)
	if err := nul.Listen(abstractName(t, "n") + "\x00"); err != nil {
		t.Fatal(err)
	}
	defer nul.Close()
	c.ConnectToServer(abstractName(t, "n"))
	if c.State() != local.UnconnectedState || c.Error() != local.ConnectionRefusedError {
		t.Fatalf("without the NUL: %v %v", c.State(), c.Error())
	}
	c.ConnectToServer(abstractName(t, "n") + "\x00")
	if c.State() != local.ConnectedState {
		t.Fatalf("with the NUL: %v", c.ErrorString())
	}
	accept(t, nul)
	c.Abort()

	// A second abstract server on the same name: AddressInUseError.
	dup := local.NewServer(nil)
	dup.SetSocketOptions(local.AbstractNamespaceOption)
	if err := dup.Listen(name); err == nil || dup.ServerError() != socket.AddressInUseError {
		t.Fatalf("second abstract Listen: %v %v", err, dup.ServerError())
	}
}
