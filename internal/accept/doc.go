// Package accept is the accept machinery every qsock server shares:
// server.TCPServer, server.SSLServer and local.Server (QTcpServer,
// QSslServer and QLocalServer) all listen through one Listener.
//
// A Listener owns the listening descriptor (an engine.NativeEngine) and, on
// a loop, its read notifier. It accepts on readiness, a bounded number per
// loop turn so that one busy listener cannot starve the loop's other
// descriptors, and hands every accepted descriptor to the server's
// Incoming hook (Qt's virtual incomingConnection). The server queues what
// it made of it with Add; NextPendingConnection takes it back with Take.
//
// What Qt does and this package keeps:
//   - At MaxPending queued connections accepting stops (the read notifier
//     is disabled, the kernel backlog holds further clients) and resumes
//     when one is taken.
//   - Pause and Resume (pauseAccepting/resumeAccepting) only switch the
//     notifier: the blocking Wait accepts regardless, as Qt's
//     waitForNewConnection does.
//   - Close drops the connections nobody took (Qt deletes them).
//
// What Qt does and this package does not: on EMFILE/ENFILE (and the other
// resource errors) Qt pauses accepting until the user calls
// resumeAccepting, which servers that never call it turn into a dead
// listener, and servers that resume at once turn into a busy loop. A
// Listener instead reports AcceptError(SocketResourceError) and backs off
// with a loop timer, 10 ms doubling to 1 s, then tries again by itself.
// Nothing but the timer ends a back-off: taking a pending connection
// re-enables accepting only when no back-off is running.
//
// A Listener belongs to its loop's goroutine (or, with a nil loop, to the
// one goroutine driving the blocking Wait), like every qsock object.
package accept
