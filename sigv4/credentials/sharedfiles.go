package credentials

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// sharedFiles are the shared config and credentials files as read once.
// A missing file reads as empty.
type sharedFiles struct {
	configPath, credentialsPath string
	config, credentials         *iniFile // nil when the file does not exist
}

func loadSharedFiles(o *Options) (*sharedFiles, error) {
	cfgPath, err := o.configFile()
	if err != nil {
		return nil, err
	}
	credPath, err := o.credentialsFile()
	if err != nil {
		return nil, err
	}
	sf := &sharedFiles{configPath: cfgPath, credentialsPath: credPath}
	if sf.config, err = readINIFile(cfgPath); err != nil {
		return nil, err
	}
	if sf.credentials, err = readINIFile(credPath); err != nil {
		return nil, err
	}
	return sf, nil
}

func readINIFile(path string) (*iniFile, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxINISize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(data) > maxINISize {
		return nil, fmt.Errorf("reading %s: file larger than %d bytes", path, maxINISize)
	}
	ini, err := parseINI(data)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	return ini, nil
}

// profile returns the merged settings of a profile: the config file's
// "[profile name]" overlaid by the credentials file's "[name]", as the AWS
// CLI does.
func (sf *sharedFiles) profile(name string) (map[string]string, bool) {
	cfg, ok1 := sf.config.configProfile(name)
	cred, ok2 := sf.credentials.credentialsProfile(name)
	if !ok1 && !ok2 {
		return nil, false
	}
	merged := copyProps(nil, cfg)
	merged = copyProps(merged, cred)
	return merged, true
}

// where names the files a profile was looked up in, for error messages.
func (sf *sharedFiles) where() string {
	return sf.configPath + " or " + sf.credentialsPath
}
