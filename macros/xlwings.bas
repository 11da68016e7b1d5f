Option Explicit
' xlwings: RunPython for the csxl add-in, trimmed to what csxl's buttons need.
'
' Keeps the calling convention of RunPython in xlwings' VBA module (xlwings.bas of
' xlwings CE, https://www.xlwings.org), so that xlwings.Book.caller() finds the
' calling workbook from Python:
'   Windows: <python> -B -c "<command>" --wb=<name> --from_xl=1 --app=<excel> --hwnd=<hwnd>
'   Mac: the AppleScript handler that "xlwings runpython install" puts in place.
' Left out on purpose: the remote interpreter, licence keys and everything of xlwings
' PRO (embedded code), user-defined functions and the COM server with the xlwings DLL
' (so there is no Declare statement at all), conda activation and frozen executables
' (csxlRun starts csxl.exe itself). Settings come from csxl_Setting (module csxlRun).
'
' xlwings CE is distributed under the BSD 3-clause licence; its notice follows.
'
' Copyright (C) 2014 - present, Zoomer Analytics GmbH.
' All rights reserved.
'
' Redistribution and use in source and binary forms, with or without modification,
' are permitted provided that the following conditions are met:
'
' * Redistributions of source code must retain the above copyright notice, this
'   list of conditions and the following disclaimer.
'
' * Redistributions in binary form must reproduce the above copyright notice, this
'   list of conditions and the following disclaimer in the documentation and/or
'   other materials provided with the distribution.
'
' * Neither the name of the copyright holder nor the names of its
'   contributors may be used to endorse or promote products derived from
'   this software without specific prior written permission.
'
' THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
' ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
' WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
' DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR
' ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES
' (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES;
' LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON
' ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
' (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS
' SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.

Public Function RunPython(ByVal PythonCommand As String) As Long
    ' Runs PythonCommand, e.g. "import mod; mod.main()", in the configured interpreter.
    ' Windows: waits for Python and returns its exit code (-1 if it could not start).
    ' Mac: Python runs once this macro has returned, because Excel answers Python only
    ' when no macro is running; returns 0.
    #If Mac Then
        ExecuteMac PythonCommand, GetConfig("python", "python3")
    #Else
        RunPython = ExecuteWindows(PythonCommand, GetConfig("python", "python"))
    #End If
End Function

Private Function GetConfig(ByVal key As String, ByVal fallback As String) As String
    GetConfig = csxl_Setting(key)
    If GetConfig = "" Then GetConfig = fallback
End Function

Private Function ActiveName() As String
    If Not ActiveWorkbook Is Nothing Then ActiveName = ActiveWorkbook.Name
End Function

Private Function ActiveFullName() As String
    If Not ActiveWorkbook Is Nothing Then ActiveFullName = ActiveWorkbook.FullName
End Function

Private Function ExecuteWindows(ByVal PythonCommand As String, ByVal interpreter As String) As Long
    ' No console window; WScript.Shell.Run waits while Excel keeps answering Python's
    ' calls (xlwings writes into the open workbook meanwhile).
    #If Mac Then
    #Else
        Dim wsh As Object, commandText As String
        On Error GoTo NotStarted
        commandText = CommandLine(interpreter, Array("-B", "-c", PythonCommand, _
            "--wb=" & ActiveName(), "--from_xl=1", _
            "--app=" & Application.Path & "\" & Application.Name, _
            "--hwnd=" & CStr(Application.Hwnd)))
        Set wsh = CreateObject("WScript.Shell")
        ExecuteWindows = wsh.Run(commandText, 0, True)
        Set wsh = Nothing
        Exit Function
NotStarted:
        ExecuteWindows = -1
    #End If
End Function

Private Sub ExecuteMac(ByVal PythonCommand As String, ByVal interpreter As String)
    ' AppleScriptTask starts Python in the background: Mac Excel's sandbox lets VBA run
    ' only scripts the user installed (xlwings runpython install), never a program.
    #If Mac Then
        Dim params As String, logFile As String
        logFile = Environ$("HOME") & "/xlwings.log"
        params = "false;" & ActiveFullName() & ";" & ThisWorkbook.FullName & ";;;;"
        params = params & "|" & interpreter & "|" & PythonCommand & "|" & ActiveName()
        params = params & "|" & Left$(Application.Path, Len(Application.Path) - 4) & "|" & logFile
        On Error GoTo NoHandler
        AppleScriptTask "xlwings-" & GetConfig("xlwings_version", "") & ".applescript", _
            "VbaHandler", params
        Exit Sub
NoHandler:
        Application.StatusBar = False
        MsgBox "RunPython needs xlwings' AppleScript: run 'xlwings runpython install' " & _
            "in Terminal once, and put 'xlwings_version = <its version>' in csxl.conf " & _
            "next to the add-in.", vbCritical, "csxl"
    #End If
End Sub
