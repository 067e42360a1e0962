package sigv4

import "unsafe"

// unsafeString views b as a string without copying. The caller keeps b
// unchanged while the string is in use.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
