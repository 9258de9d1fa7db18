// Package bridge adapts qsock sockets and servers to Go's net.Conn and
// net.Listener, so that net/http, gRPC, crypto/tls and anything else
// written against package net can run over qsock's event loop.
//
//	srv := server.NewTCPServer(loop)
//	loop.Invoke(func() { err = srv.Listen(socket.LocalHost, 8080) })
//	http.Serve(bridge.NewListener(srv), handler)
//
// NewConn wraps a *tcp.Socket, *local.Socket or *sslsock.Socket;
// NewListener wraps a *server.TCPServer, *server.SSLServer or
// *local.Server; a Dialer makes connected sockets for http.Transport's
// DialContext and the like.
//
// # Goroutines and the loop
//
// A qsock socket belongs to its loop's goroutine; a net.Conn is used from
// any number of goroutines and blocks. The adapter keeps the two apart
// with two small buffers per connection. Write copies the caller's bytes
// into the Conn and posts one hand-over to the loop (several Writes in a
// turn share it), where they join the socket's write buffer and leave in
// the loop's end-of-turn flush. On the loop, every ReadyRead moves the
// socket's bytes into the Conn, where Read takes them without meeting
// the loop at all. Read and Write never wait for the loop to run
// anything: one that cannot go on waits on a channel the loop signals,
// so deadlines and Close interrupt it at once, and a caller's buffer is
// never touched after its call returned. NewConn, Close and the
// listener's Close do wait for the loop, to set up and to tear down.
//
// The sockets must belong to a running loop. A blocking-style (nil-loop)
// socket is driven by the goroutine that waits on it and has no way to
// serve a Read and a Write from two goroutines at once, so NewConn and
// NewListener refuse one. The adapter starts no goroutine of its own.
//
// # Back-pressure
//
// Write returns when its bytes are queued, not when the kernel took them,
// as a buffered Qt socket's write does; but no more than WriteLimit bytes
// wait for the peer at a time: past that, Write waits for the socket's
// BytesWritten. Reading is bounded the same way: the Conn stops taking
// bytes from the socket at ReadLimit, the socket stops reading from the
// kernel at its read buffer limit (SocketReadBufferSize unless one was
// set), and TCP flow control holds the peer. Memory per connection is
// bounded whatever the peer does.
//
// # Deadlines, close and end of stream
//
// Deadlines behave as net.Conn specifies: a call past its deadline fails
// with an error that wraps os.ErrDeadlineExceeded and whose Timeout
// method reports true; moving the deadline affects calls already
// waiting. Close makes waiting and later calls fail with net.ErrClosed,
// sends what Write accepted, and closes the socket gracefully, aborting
// it if the peer has not taken everything after CloseLinger. A Conn
// closed with bytes it received and nobody read is aborted at once (the
// peer sees a reset), as the kernel does with a socket closed that way.
//
// When the peer closes the connection, Read returns every byte that
// arrived and then io.EOF; a connection that ended in an error (a reset,
// a failed TLS handshake) returns that error instead, with the errno in
// its chain. As in Qt, a peer's half-close ends the whole connection, and
// a Conn has no CloseWrite.
package bridge
