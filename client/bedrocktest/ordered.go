package bedrocktest

import (
	"bytes"
	"encoding/json"
)

// ordered is a JSON object whose members keep the order given, for bodies
// whose member order the service (or the model provider) fixes.
type ordered []any // name, value, name, value, …

// obj builds an ordered object from name/value pairs.
func obj(kv ...any) ordered { return ordered(kv) }

// MarshalJSON writes the members in order.
func (o ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := 0; i+1 < len(o); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, o[i].(string))
		b.WriteByte(':')
		var vb bytes.Buffer
		enc := json.NewEncoder(&vb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(o[i+1]); err != nil {
			return nil, err
		}
		b.Write(bytes.TrimSuffix(vb.Bytes(), []byte("\n")))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// get returns the value of member name, or nil.
func (o ordered) get(name string) any {
	for i := 0; i+1 < len(o); i += 2 {
		if o[i] == name {
			return o[i+1]
		}
	}
	return nil
}
