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
' (so there is no Declare statement here), conda activation and frozen executables
' (csxlRun starts csxl.exe itself), PYTHONPATH and the config sheet. Settings come from
' csxl_Setting (module csxlRun): csxl.conf outside any workbook, never a workbook's
' content, so a workbook cannot choose the interpreter.
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
    ' Windows: waits for Python and returns its exit code (START_FAILED if it did not start).
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

Private Function ExecuteWindows(ByVal PythonCommand As String, ByVal interpreter As String) As Long
    ' No console window; WScript.Shell.Run waits while Excel keeps answering Python's
    ' calls (xlwings writes into the open workbook meanwhile). csxl_Shell escapes % and
    ' gives START_FAILED when Python could not be started.
    ExecuteWindows = csxl_Shell(CommandLine(interpreter, Array("-B", "-c", PythonCommand, _
        "--wb=" & csxl_PlainName(ActiveName()), "--from_xl=1", _
        "--app=" & Application.Path & "\" & Application.Name, _
        "--hwnd=" & CStr(Application.Hwnd))))
End Function

Private Sub ExecuteMac(ByVal PythonCommand As String, ByVal interpreter As String)
    ' AppleScriptTask starts Python in the background: Mac Excel's sandbox lets VBA run
    ' only scripts the user installed (xlwings runpython install), never a program.
    ' xlwings' handler splits the parameters at "|" and builds a shell command: the first
    ' field goes into a Python string in single quotes, the command and the workbook name
    ' into double quotes. So no path goes into the first field (csxl is installed in the
    ' interpreter: no PYTHONPATH is needed), the command is plain ASCII (PyStr), the
    ' workbook name is reduced to plain characters (csxl finds the workbook by the full
    ' name in its own arguments) and the interpreter is quoted for the shell: a ' or a
    ' space in a path cannot break the call.
    #If Mac Then
        Dim params As String
        params = csxl_MacParameters(PythonCommand, interpreter, ActiveName(), _
            Left$(Application.Path, Len(Application.Path) - 4), Environ("HOME") & "/xlwings.log")
        On Error GoTo NoHandler
        AppleScriptTask "xlwings-" & GetConfig("xlwings_version", "") & ".applescript", _
            "VbaHandler", params
        Exit Sub
NoHandler:
        Application.StatusBar = False
        csxl_Box Msg("mac_script", csxl_Lang()), vbCritical
    #End If
End Sub

Public Function csxl_MacParameters(ByVal PythonCommand As String, ByVal interpreter As String, _
        ByVal bookName As String, ByVal appPath As String, ByVal logFile As String) As String
    ' The one parameter of xlwings' VbaHandler: PYTHONPATH (empty fields) | interpreter |
    ' command | workbook name | application path | log file.
    csxl_MacParameters = ";;;;;|" & ShQuote(interpreter) & "|" & PythonCommand & "|" & _
        csxl_PlainName(bookName) & "|" & appPath & "|" & logFile
End Function

Public Function csxl_PlainName(ByVal s As String) As String
    ' s with every character a shell or xlwings' "|" fields could read as syntax replaced
    ' by "_" (only for xlwings' --wb=, which csxl does not read).
    Dim out As String, i As Long, c As String
    For i = 1 To Len(s)
        c = Mid$(s, i, 1)
        If InStr(1, "'""$`\|;%!&<>()*?[]{}~#" & vbCr & vbLf & vbTab, c) > 0 Then c = "_"
        out = out & c
    Next i
    csxl_PlainName = out
End Function
