// Package novasonic runs spoken conversations with Amazon Nova Sonic
// (amazon.nova-sonic-v1:0 and amazon.nova-2-sonic-v1:0) over the
// bidirectional stream of package client.
//
// A Session speaks the protocol: Start opens the stream and sends
// sessionStart, promptStart (text and 24 kHz audio output in a voice, the
// tools) and the system prompt; StreamAudio sends the user's 16 kHz 16-bit
// mono audio from an io.Reader in 32 ms chunks, in real time or as fast as
// the connection takes it; the model's transcripts (both sides, with their
// generation stage) and speech arrive through callbacks as they come; tool
// calls are answered by the Tool's Run function; Close sends contentEnd,
// promptEnd and sessionEnd, ends the input and waits for the output to end.
//
// The operation needs SigV4 credentials (an access key): Bedrock API keys are
// not accepted for it. The service ends a session after 8 minutes
// (client.ErrSessionExpired); a longer conversation starts a new Session
// with Config.History.
//
// ReadWAV and WriteWAV read and write the 16-bit mono PCM WAV files the
// sessions take and give.
package novasonic
