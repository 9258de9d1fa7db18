package main

import (
	"time"

	"github.com/qsock/qsock/datastream"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// timeout is FortuneThread's Timeout: 5 s for connecting and for each read.
const timeout = 5 * time.Second

// socketError is what FortuneThread's error signal carries.
type socketError struct {
	code    socket.SocketError
	message string
}

// fortuneThread is Qt's FortuneThread. Qt guards the host and port with a
// QMutex and wakes the thread with a QWaitCondition; here the requests
// travel on a channel, which does both, and the signals are channels too.
type fortuneThread struct {
	host     string
	port     uint16
	next     chan struct{}    // requestNewFortune: cond.wakeOne()
	quit     chan struct{}    // the destructor's quit = true
	fortunes chan string      // signal newFortune(QString)
	errors   chan socketError // signal error(int, QString)
}

// startFortuneThread starts the worker, which fetches the first fortune at
// once (Qt starts the thread on the first request).
func startFortuneThread(host string, port uint16) *fortuneThread {
	t := &fortuneThread{
		host:     host,
		port:     port,
		next:     make(chan struct{}),
		quit:     make(chan struct{}),
		fortunes: make(chan string),
		errors:   make(chan socketError, 1),
	}
	go t.run()
	return t
}

// requestNewFortune wakes the worker for the next fortune.
func (t *fortuneThread) requestNewFortune() { t.next <- struct{}{} }

// stop ends the worker at its next wait, as the destructor's quit flag does.
func (t *fortuneThread) stop() { close(t.quit) }

// run is FortuneThread::run.
func (t *fortuneThread) run() {
	for {
		text, err := t.fetch()
		if err != nil {
			t.errors <- *err
			return
		}
		select {
		case t.fortunes <- text:
		case <-t.quit:
			return
		}
		select {
		case <-t.next:
		case <-t.quit:
			return
		}
	}
}

// fetch is one turn of FortuneThread::run's loop: a stack QTcpSocket,
// connected, read with transactions, and closed when it goes out of scope.
func (t *fortuneThread) fetch() (string, *socketError) {
	s := tcp.NewSocket(nil)
	defer s.Abort()
	s.ConnectToHost(t.host, t.port)
	if !s.WaitForConnected(timeout) {
		return "", &socketError{s.Error(), s.ErrorString()}
	}

	in := datastream.NewReader(s)
	in.SetVersion(datastream.Qt_4_0)
	var text string
	for {
		if !s.WaitForReadyRead(timeout) {
			return "", &socketError{s.Error(), s.ErrorString()}
		}
		in.StartTransaction()
		text = in.ReadString()
		if in.CommitTransaction() {
			return text, nil
		}
	}
}
