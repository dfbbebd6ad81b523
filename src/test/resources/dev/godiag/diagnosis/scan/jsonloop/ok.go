package jsonloop

import (
	"encoding/json"
	"io"
	"net"
	"reflect"
)

// once, outside a loop
func encodeOne(e event) ([]byte, error) {
	return json.Marshal(e)
}

// the fix: one encoder for the stream
func streamAll(events []event, w io.Writer) error {
	enc := json.NewEncoder(w)
	for _, e := range events {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}

// a new decoder per connection: each reads a different stream
func serve(conns []net.Conn) {
	for _, c := range conns {
		var e event
		_ = json.NewDecoder(c).Decode(&e)
	}
}

// reflecting on each element: what a generic walker does
func fieldCount(vals []any) int {
	n := 0
	for _, v := range vals {
		t := reflect.TypeOf(v)
		if t.Kind() == reflect.Struct {
			n += t.NumField()
		}
		rv := reflect.ValueOf(v)
		_ = rv
	}
	return n
}

// a loop that returns at once
func firstJSON(events []event) []byte {
	for _, e := range events {
		b, _ := json.Marshal(e)
		return b
	}
	return nil
}
