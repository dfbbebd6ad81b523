// Package httpbody holds HTTP responses closed or not, for scan.http-body-not-closed.
// A "// want" comment marks each line where the check must report.
package httpbody

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Fires: an error status returns before the deferred close.
func getJSON(url string, v any) error {
	resp, err := http.Get(url) // want
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %s", resp.Status)
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

// Silent: read to its end, which frees the connection as a Close would.
func slurp(c *http.Client, req *http.Request) ([]byte, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// Fires: the response is discarded.
func ping(url string) error {
	_, err := http.Head(url) // want
	return err
}

// Fires: http.DefaultClient, closed on one branch only.
func status(url string) (int, error) {
	resp, err := http.DefaultClient.Get(url) // want
	if err != nil {
		return 0, err
	}
	if resp.StatusCode >= 500 {
		resp.Body.Close()
		return 0, errors.New("server error")
	}
	return resp.StatusCode, nil
}

type api struct {
	client *http.Client
	base   string
}

// Fires: a field declared *http.Client.
func (a *api) post(body string) error {
	resp, err := a.client.Post(a.base, "text/plain", strings.NewReader(body)) // want
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusCreated {
		return errors.New(resp.Status)
	}
	return resp.Body.Close()
}

// Fires: a local client from a composite literal.
func local(url string) (string, error) {
	client := &http.Client{}
	resp, err := client.Get(url) // want
	if err != nil {
		return "", err
	}
	return resp.Status, nil
}

// Silent: defer after the error check.
func good(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Silent: closed on every path.
func everyPath(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return errors.New(resp.Status)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err
}

// Silent: the response is returned to the caller.
func handOff(url string) (*http.Response, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return resp, errors.New(resp.Status)
	}
	return resp, nil
}

// Silent: the body is passed to a helper that closes it.
func helper(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return decodeAndClose(resp.Body)
}

func decodeAndClose(rc io.ReadCloser) error {
	defer rc.Close()
	return nil
}

// Silent: closed in a deferred closure; the error check with err == nil.
func closure(url string) (err error) {
	resp, err := http.Get(url)
	if err == nil {
		defer func() {
			if cerr := resp.Body.Close(); err == nil {
				err = cerr
			}
		}()
		_, err = io.Copy(io.Discard, resp.Body)
	}
	return err
}

type getter struct{}

func (getter) Get(url string) (*http.Response, error) { return nil, nil }

// Silent: not an http.Client.
func notAClient(g getter, url string) error {
	resp, err := g.Get(url)
	if err != nil {
		return err
	}
	_ = resp.StatusCode
	return nil
}

// Silent: the error branch panics, the rest closes.
func panics(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode
}

// Silent: a request that must fail; a response would be the failure reported.
func mustFail(url string) error {
	_, err := http.Get(url)
	if err == nil {
		return errors.New("want an error")
	}
	return nil
}

// Silent: the early return is on an error, tested with another condition.
func timeoutExpected(c *http.Client, req *http.Request, timeout bool) error {
	resp, err := c.Do(req)
	if timeout {
		if err != nil && strings.Contains(err.Error(), "deadline") {
			return nil
		}
	}
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

// Silent: a request expected to fail with a particular error.
func handshakeFails(c *http.Client, url string) error {
	_, err := c.Get(url)
	if err == nil || !strings.Contains(err.Error(), "handshake") {
		return errors.New("want a handshake error")
	}
	return nil
}

// Fires: a parameter of type *http.Client, decoded without reading to the end or closing.
func decode(c *http.Client, req *http.Request, v any) error {
	resp, err := c.Do(req) // want
	if err != nil {
		return err
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
