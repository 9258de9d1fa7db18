// Package local provides Socket and Server, Qt's QLocalSocket and
// QLocalServer, over Unix-domain stream sockets.
//
// A Socket embeds a *socket.AbstractSocket, so the signals, the QIODevice
// reading API with transactions, Write, Flush and the blocking WaitFor*
// calls are the same as tcp.Socket's. What differs is how it connects:
// ConnectToServer takes a server name, not a host and port, and, as Qt on
// Unix, finishes before it returns:
//
//	c := local.NewSocket(loop)
//	c.Connected.Connect(func() { c.WriteString("hello\n") })
//	c.ErrorOccurred.Connect(func(e socket.SocketError) { log.Print(c.ErrorString()) })
//	c.ConnectToServer("myapp") // $TMPDIR/myapp (or /tmp/myapp), as Qt
//
// A name that does not start with '/' lives in os.TempDir(), Qt's
// QDir::tempPath(), so TMPDIR moves it; an absolute path is used as it is.
// With AbstractNamespaceOption (Linux only) the name is an abstract socket
// address and no file exists.
//
// A Server listens on a name and hands out connected Sockets:
//
//	srv := local.NewServer(loop)
//	srv.NewConnection.Connect(func() {
//		c := srv.NextPendingConnection()
//		c.ReadyRead.Connect(func() { c.Write(c.ReadAll()) })
//	})
//	if err := srv.Listen("myapp"); err != nil { ... }
//
// Listen never removes an existing file: a socket file left behind by a
// server that was killed makes it fail with AddressInUseError until
// RemoveServer removes it, as in Qt. Close removes the file the server
// made, and only that file.
//
// Both types follow qsock's concurrency contract: an object belongs to the
// loop it was made with, or, made with a nil loop, is driven in blocking
// style with the WaitFor* calls from one goroutine at a time.
//
// # Errors and states
//
// QLocalSocket's LocalSocketError values are socket.SocketError values
// with the same numbers, under QLocalSocket's names here (PeerClosedError
// is socket.RemoteHostClosedError, ServerNotFoundError is
// socket.HostNotFoundError, ConnectionError is socket.NetworkError);
// ErrorName prints QLocalSocket's spelling. ErrorString reports Qt's
// QLocalSocket texts, such as "QLocalSocket::connectToServer: Invalid
// name" and "QLocalSocket: Remote closed". The states are the four
// QLocalSocket has, with Qt's numbers.
//
// # Beyond Qt
//
// PeerCredentials reports the peer's process, user and group
// (SO_PEERCRED, LOCAL_PEERCRED). Server access options set the socket
// file's mode without a moment where it is more open than asked, and
// never replace an existing file (Qt's rename would). RemoveServer refuses
// to delete a file that is not a socket. A connect that finds the
// server's backlog full keeps trying until the connect timeout, where Qt
// gives up silently after 100 ms.
package local
