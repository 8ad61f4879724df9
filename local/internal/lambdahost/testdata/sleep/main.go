// Command sleep sleeps for {"ms": N} milliseconds, after starting a child process that would
// outlive it unless its whole process group is killed. It writes the child's pid to the file
// named by {"pidFile": ...} first.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

type event struct {
	MS      int    `json:"ms"`
	PIDFile string `json:"pidFile"`
}

func main() {
	lambda.Start(func(e event) (string, error) {
		if e.PIDFile != "" {
			child := exec.Command("sleep", "60")
			if err := child.Start(); err != nil {
				return "", err
			}
			os.WriteFile(e.PIDFile, []byte(strconv.Itoa(child.Process.Pid)), 0o644)
		}
		fmt.Println("sleeping", e.MS)
		time.Sleep(time.Duration(e.MS) * time.Millisecond)
		return "slept in " + strconv.Itoa(os.Getpid()), nil
	})
}
