package eventstream

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestHeaderTypeString(t *testing.T) {
	var got []string
	for ty := range HeaderType(12) {
		got = append(got, ty.String())
	}
	want := []string{"true", "false", "byte", "short", "int", "long", "bytes", "string", "timestamp", "uuid", "HeaderType(10)", "HeaderType(11)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("HeaderType names (-want +got):\n%s", diff)
	}
}

var testUUID = [16]byte{0x0f, 0x8f, 0xad, 0x5b, 0xd9, 0xcb, 0x46, 0x9f, 0xa1, 0x65, 0x70, 0x86, 0x77, 0x28, 0x95, 0x0e}

// getters runs every typed getter of v and reports what each returned.
func getters(v Value) map[string]string {
	out := map[string]string{}
	if b, ok := v.Bool(); ok {
		out["Bool"] = fmt.Sprint(b)
	}
	if n, ok := v.Int(); ok {
		out["Int"] = fmt.Sprint(n)
	}
	if b, ok := v.Bytes(); ok {
		out["Bytes"] = fmt.Sprintf("%x", b)
	}
	if s, ok := v.Str(); ok {
		out["Str"] = s
	}
	if ms, ok := v.UnixMilli(); ok {
		out["UnixMilli"] = fmt.Sprint(ms)
	}
	if tm, ok := v.Time(); ok {
		out["Time"] = tm.Format(time.RFC3339Nano)
	}
	if u, ok := v.UUID(); ok {
		out["UUID"] = fmt.Sprintf("%x", u)
	}
	return out
}

// TestValueGetters: each getter answers for its own types only, with the
// exact value.
func TestValueGetters(t *testing.T) {
	tests := []struct {
		v        Value
		wantType HeaderType
		want     map[string]string
		wantStr  string
	}{
		{BoolValue(true), TypeTrue, map[string]string{"Bool": "true"}, "true"},
		{BoolValue(false), TypeFalse, map[string]string{"Bool": "false"}, "false"},
		{ByteValue(-128), TypeByte, map[string]string{"Int": "-128"}, "-128"},
		{ShortValue(-300), TypeShort, map[string]string{"Int": "-300"}, "-300"},
		{IntValue(-2147483648), TypeInt, map[string]string{"Int": "-2147483648"}, "-2147483648"},
		{LongValue(-9223372036854775808), TypeLong, map[string]string{"Int": "-9223372036854775808"}, "-9223372036854775808"},
		{BytesValue([]byte{0, 0xff}), TypeBytes, map[string]string{"Bytes": "00ff"}, "AP8="},
		{StringValue("héllo"), TypeString, map[string]string{"Str": "héllo"}, "héllo"},
		{TimestampValue(time.Date(2023, 11, 14, 22, 13, 20, 123999999, time.FixedZone("X", 3600))), TypeTimestamp,
			map[string]string{"UnixMilli": "1699996400123", "Time": "2023-11-14T21:13:20.123Z"}, "1699996400123 (2023-11-14T21:13:20.123Z)"},
		{TimestampMillisValue(-1), TypeTimestamp,
			map[string]string{"UnixMilli": "-1", "Time": "1969-12-31T23:59:59.999Z"}, "-1 (1969-12-31T23:59:59.999Z)"},
		{UUIDValue(testUUID), TypeUUID, map[string]string{"UUID": "0f8fad5bd9cb469fa16570867728950e"}, "0f8fad5b-d9cb-469f-a165-70867728950e"},
		{Value{}, HeaderType(255), map[string]string{}, "<invalid>"},
	}
	for _, tc := range tests {
		t.Run(tc.wantStr, func(t *testing.T) {
			if got := tc.v.Type(); got != tc.wantType {
				t.Errorf("Type() = %v, want %v", got, tc.wantType)
			}
			if got := tc.v.IsValid(); got != (tc.wantType < typeCount) {
				t.Errorf("IsValid() = %v", got)
			}
			if diff := cmp.Diff(tc.want, getters(tc.v)); diff != "" {
				t.Errorf("getters (-want +got):\n%s", diff)
			}
			if got := tc.v.String(); got != tc.wantStr {
				t.Errorf("String() = %q, want %q", got, tc.wantStr)
			}
		})
	}
}

func TestValueEqual(t *testing.T) {
	values := []Value{
		{}, BoolValue(true), BoolValue(false), ByteValue(1), ShortValue(1), IntValue(1), LongValue(1),
		BytesValue([]byte("a")), StringValue("a"), TimestampMillisValue(1), UUIDValue([16]byte{15: 1}),
		LongValue(2), StringValue("b"), BytesValue([]byte("b")),
	}
	for i, a := range values {
		for j, b := range values {
			if got := a.Equal(b); got != (i == j) {
				t.Errorf("%v (%v) Equal %v (%v) = %v", a, a.Type(), b, b.Type(), got)
			}
		}
	}
	if !BytesValue(nil).Equal(BytesValue([]byte{})) {
		t.Error("nil and empty byte arrays differ")
	}
	if !TimestampValue(time.UnixMilli(5).Add(999 * time.Microsecond)).Equal(TimestampMillisValue(5)) {
		t.Error("TimestampValue does not truncate to the millisecond")
	}
}

func TestFormatUUID(t *testing.T) {
	for u, want := range map[[16]byte]string{
		{}:       "00000000-0000-0000-0000-000000000000",
		testUUID: "0f8fad5b-d9cb-469f-a165-70867728950e",
		{0xAB, 0xCD, 0xEF, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89}: "abcdef01-2345-6789-abcd-ef0123456789",
	} {
		if got := FormatUUID(u); got != want {
			t.Errorf("FormatUUID(%x) = %s, want %s", u, got, want)
		}
	}
}

func TestHeaderString(t *testing.T) {
	got := fmt.Sprint([]Header{{":event-type", StringValue("chunk")}, {"n", IntValue(3)}, {"f", BoolValue(false)}})
	want := "[:event-type:string=chunk n:int=3 f:false=false]"
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
