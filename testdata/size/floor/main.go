// Command floor is the size floor of any Go Bedrock client: one HTTPS POST
// with a JSON body and an HMAC, using net/http, encoding/json and crypto/hmac
// alone. scripts/size.sh builds it next to the bedrockwire programs.
package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
)

func main() {
	body, _ := json.Marshal(map[string]any{"messages": []any{map[string]any{"role": "user", "content": []any{map[string]string{"text": "hi"}}}}})
	mac := hmac.New(sha256.New, []byte("key"))
	mac.Write(body)
	req, _ := http.NewRequest("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse", bytes.NewReader(body))
	req.Header.Set("X-Sig", hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	fmt.Println(out)
}
