Option Explicit
' csxlBox: a message box that shows any language's text on Windows.
'
' VBA's MsgBox converts its text to the system's ANSI code page: on a Windows whose
' language for non-Unicode programs is not Chinese, Chinese shows as "?". MessageBoxW
' takes the VBA string (UTF-16) as it is. The Declare has a module of its own because
' LibreOffice, which runs the tests, does not compile Declare statements; nothing here is
' called there. csxl_Box in csxlRun falls back to MsgBox on Mac (Unicode there) and where
' the call fails.

#If Mac Then
#ElseIf VBA7 Then
    Private Declare PtrSafe Function MessageBoxW Lib "user32" (ByVal hWnd As LongPtr, _
        ByVal lpText As LongPtr, ByVal lpCaption As LongPtr, ByVal uType As Long) As Long
#End If

Private Const MB_SETFOREGROUND As Long = &H10000

Public Function csxl_BoxW(ByVal text As String, ByVal title As String, ByVal flags As Long) As Long
    ' flags as for MsgBox (vbYesNo, vbCritical ... are the Windows MB_ values); the answer
    ' as MsgBox gives it (vbYes = IDYES ...).
    #If Mac Then
        csxl_BoxW = MsgBox(text, flags, title)
    #ElseIf VBA7 Then
        csxl_BoxW = MessageBoxW(Application.Hwnd, StrPtr(text), StrPtr(title), _
            flags Or MB_SETFOREGROUND)
    #Else
        csxl_BoxW = MsgBox(text, flags, title)
    #End If
End Function
