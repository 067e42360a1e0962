package client

// noCompare, as a struct's first field, makes the struct not comparable, at
// no cost in size: the compiler then emits no equality function for it,
// which every binary holding its type would carry. For wire and internal
// types that nothing compares.
type noCompare [0]func()
