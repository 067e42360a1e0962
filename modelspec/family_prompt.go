package modelspec

import "fmt"

// PromptTurn is one turn of a conversation to render into a prompt string
// for the models that take a raw "prompt" (Llama, Mistral 7B/Mixtral/Large
// 2402/Small, DeepSeek R1). Role is "system", "user" or "assistant".
type PromptTurn struct {
	Role    string
	Content string
}

// checkTurns enforces the shape every chat template here needs: an optional
// leading system turn, then user and assistant turns alternating, starting
// and ending with a user turn (the model writes the next assistant turn).
// It returns the system prompt and the remaining turns.
func checkTurns(turns []PromptTurn) (string, []PromptTurn, error) {
	var system string
	if len(turns) > 0 && turns[0].Role == "system" {
		system, turns = turns[0].Content, turns[1:]
	}
	if len(turns) == 0 {
		return "", nil, invalid("prompt", "needs at least one user turn")
	}
	for i, t := range turns {
		want := "user"
		if i%2 == 1 {
			want = "assistant"
		}
		if t.Role != want {
			return "", nil, invalid("prompt", "turn %d has role %q, want %q (optional system first, then user and assistant alternating)", i+1, t.Role, want)
		}
	}
	if turns[len(turns)-1].Role != "user" {
		return "", nil, invalid("prompt", "the last turn must be the user's")
	}
	return system, turns, nil
}

func errUnknownTemplate(modelID string) error {
	return fmt.Errorf("modelspec: no prompt template known for model %q", modelID)
}
