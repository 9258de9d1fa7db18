// Package server provides qsock's servers: TCPServer, Qt's QTcpServer, and
// SSLServer, Qt's QSslServer.
//
// A TCPServer listens, accepts on its loop, and queues each connection as
// a connected *tcp.Socket for NextPendingConnection, emitting
// PendingConnectionAvailable and then NewConnection per connection, as Qt
// does:
//
//	srv := server.NewTCPServer(loop)
//	srv.NewConnection.Connect(func() {
//		c := srv.NextPendingConnection()
//		c.ReadyRead.Connect(func() { c.Write(c.ReadAll()) })
//	})
//	if err := srv.Listen(socket.Any, 8080); err != nil { ... }
//	loop.Run()
//
// With a nil loop the server is used in blocking style, like a QTcpServer
// in a thread without an event loop: WaitForNewConnection polls the
// listening descriptor, accepts, and emits the signals on the calling
// goroutine; the sockets it queues are blocking-style sockets too.
//
// # Serving on several loops
//
// One loop is one goroutine, so a server on one loop uses one core. For
// more, give the server an engine.LoopGroup (SetLoopGroup): it still
// accepts on its own loop, but creates each socket on the group's next
// loop, where that socket's signals then fire. The natural Go way to use
// that is a handler (SetHandler): it runs on the socket's own loop as soon
// as the socket exists, before any of its signals can fire, so it connects
// its slots without a race and the socket never touches the server's
// goroutine:
//
//	group, _ := engine.NewLoopGroup(runtime.NumCPU())
//	srv.SetLoopGroup(group)
//	srv.SetHandler(func(c *tcp.Socket) { // on c.Loop()
//		c.ReadyRead.Connect(func() { c.Write(c.ReadAll()) })
//	})
//
// Without a handler the sockets are queued on the server's loop as usual,
// and NewConnection fires once the socket is queued. NextPendingConnection
// then returns a socket that belongs to another loop: call its methods only
// through c.Loop().Post or c.Loop().Invoke. Bytes that arrive before its
// slots are connected wait in its buffer (check BytesAvailable after
// connecting ReadyRead); that race is what SetHandler avoids.
//
// Qt's virtual incomingConnection(qintptr) is SetIncomingConnection, for
// a server that does its own thing with each accepted descriptor.
//
// # TLS
//
// SSLServer is a TCPServer whose connections are sslsock.Sockets in server
// mode. Its order is Qt 6.4's: NewConnection at accept (nothing is pending
// yet), StartedEncryptionHandshake when the client's first byte arrives,
// and PendingConnectionAvailable only after the socket is Encrypted; take
// connections there. A failed handshake, a plain-text client or one slower
// than SetHandshakeTimeout (5 s by default) is dropped with
// ErrorOccurred(socket, code) and never becomes pending.
//
// SSLServer serves on a LoopGroup the same way: each socket is made,
// handshakes and times out on the group's next loop, and with SetHandler
// goes, encrypted, to the handler there. The server's signals stay on the
// server's loop, posted in order from the socket's; their socket is
// touched only through its loop's Post or Invoke. An SSLErrors slot on the
// server's loop is then a report: what it posts reaches the socket after
// the socket decided (unless PauseOnSSLErrors holds it for Resume). The
// decision is made on the socket's loop, in the configuration or in the
// function given to SetBeforeHandshake, which runs there before the
// handshake starts and can call IgnoreSSLErrors(list) or connect the
// socket's own SSLErrors:
//
//	srv.SetLoopGroup(group)
//	srv.SetBeforeHandshake(func(c *sslsock.Socket) { // on c.Loop()
//		c.SSLErrors.Connect(func(errs []sslsock.Error) {
//			if acceptable(errs) {
//				c.IgnoreSSLErrors()
//			}
//		})
//	})
//	srv.SetHandler(func(c *sslsock.Socket) { // on c.Loop(), encrypted
//		c.ReadyRead.Connect(func() { c.Write(c.ReadAll()) })
//	})
//
// # Out of descriptors
//
// When accept fails with EMFILE or ENFILE (or ENOBUFS, ENOMEM), the server
// emits AcceptError(SocketResourceError) and stops accepting for 10 ms,
// doubling to at most 1 s while the failures go on, then tries again by
// itself. Qt pauses accepting until the application calls resumeAccepting;
// that is not copied, since a server that never resumes stops serving for
// good and one that resumes at once spins. NextPendingConnection and
// ResumeAccepting do not cut a back-off short.
package server
