package local

// abstractSupported: Linux has the abstract socket namespace.
const abstractSupported = true
