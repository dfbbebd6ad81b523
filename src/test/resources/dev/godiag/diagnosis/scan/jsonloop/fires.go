package jsonloop

import (
	"encoding/json"
	"io"
	"reflect"
)

type event struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

func encodeAll(events []event, w io.Writer) error {
	for _, e := range events {
		b, err := json.Marshal(e) // want "json.Marshal encodes through reflection on every iteration of the loop at line 15; for many values written to one place, one json.Encoder streams them"
		if err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func decodeAll(lines [][]byte) ([]event, error) {
	var out []event
	for _, l := range lines {
		var e event
		if err := json.Unmarshal(l, &e); err != nil { // want "json.Unmarshal decodes through reflection on every iteration of the loop at line 29"
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func writeEach(events []event, w io.Writer) {
	for i := range events {
		_ = json.NewEncoder(w).Encode(events[i]) // want "json.NewEncoder(w) makes a new Encoder for the same writer on every iteration of the loop at line 40; make it once before the loop"
	}
}

func kinds(vals []any) int {
	n := 0
	for _, v := range vals {
		if reflect.TypeOf(v) == reflect.TypeOf((*error)(nil)).Elem() {
			n++
		}
	}
	return n
}

func changed(old, cur []map[string]int) int {
	n := 0
	for i := range cur {
		if !reflect.DeepEqual(old[i], cur[i]) {
			n++
		}
	}
	return n
}
