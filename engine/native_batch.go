package engine

// BatchMax is the most datagrams one ReadDatagrams call or one system call
// of WriteDatagrams moves; a longer list is read in several calls by the
// caller and written in several system calls.
const BatchMax = 64
