package server

// AcceptStats exposes the listener's counters to the tests: accept calls
// and readiness events, to prove a back-off does not spin.
func (s *TCPServer) AcceptStats() (acceptCalls, readyEvents int) { return s.l.Stats() }
