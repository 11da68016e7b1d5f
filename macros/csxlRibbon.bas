Option Explicit
' csxlRibbon: the callbacks of the buttons on the ribbon tab (customUI14.xml).
'
' Each button runs the same csxl command a person would type (see csxlRun): validate,
' refresh and score work on the plan open in Excel (--live); new, batch and consolidate
' write files and open what they made. A callback never saves the active workbook.

' ------------------------------------------------------------------ data
Public Sub csxl_OnValidate(control As IRibbonControl)
    csxl_RunOnActive "validate"
End Sub

Public Sub csxl_OnRefresh(control As IRibbonControl)
    csxl_RunOnActive "refresh"
End Sub

Public Sub csxl_OnScore(control As IRibbonControl)
    csxl_RunOnActive "score"
End Sub

' ------------------------------------------------------------------ plans
Public Sub csxl_OnNewPlan(control As IRibbonControl)
    Dim target As String
    target = AskSaveAs("plan.xlsx", Msg("new_plan_as", csxl_Lang()))
    If target = "" Then Exit Sub
    If csxl_Run(Array("new", target, "--lang", csxl_Lang())) = 0 Then Workbooks.Open target
End Sub

Public Sub csxl_OnBatch(control As IRibbonControl)
    ' The active workbook is the roster; csxl reads its saved file.
    Dim roster As String, outDir As String, exportFile As String
    If ActiveWorkbook Is Nothing Then
        MsgBox Msg("no_workbook", csxl_Lang()), vbExclamation, "csxl"
        Exit Sub
    End If
    If ActiveWorkbook.Path = "" Or Not ActiveWorkbook.Saved Then
        MsgBox Msg("save_first", csxl_Lang()), vbExclamation, "csxl"
        Exit Sub
    End If
    roster = ActiveWorkbook.FullName
    outDir = AskFolder(Msg("choose_out", csxl_Lang()))
    If outDir = "" Then Exit Sub
    If MsgBox(Msg("ask_data", csxl_Lang()), vbYesNo + vbQuestion, "csxl") = vbYes Then
        exportFile = AskOpen(Msg("choose_export", csxl_Lang()))
    End If
    If exportFile = "" Then
        csxl_Run Array("batch", roster, "--out", outDir)
    Else
        csxl_Run Array("batch", roster, "--out", outDir, "--data", exportFile)
    End If
End Sub

Public Sub csxl_OnConsolidate(control As IRibbonControl)
    Dim teams As String, target As String, code As Long
    teams = AskFolder(Msg("choose_teams", csxl_Lang()))
    If teams = "" Then Exit Sub
    target = AskSaveAs("summary.xlsx", Msg("save_summary", csxl_Lang()))
    If target = "" Then Exit Sub
    code = csxl_Run(Array("consolidate", teams, "--out", target))
    If code = 0 Or code = 1 Then Workbooks.Open target
End Sub

' ------------------------------------------------------------------ tools
Public Sub csxl_OnStaffing(control As IRibbonControl)
    csxl_RunOnActive "staff"
End Sub

' ------------------------------------------------------------------ settings and help
Public Sub csxl_OnSettings(control As IRibbonControl)
    ShowPlanSheet "Settings", "\u8BBE\u7F6E", Msg("conf_hint", csxl_Lang())
End Sub

Public Sub csxl_OnGuide(control As IRibbonControl)
    ShowPlanSheet "Guide", "\u6307\u5357", Msg("guide", csxl_Lang())
End Sub

Public Sub csxl_OnCheck(control As IRibbonControl)
    ' What the add-in finds, then what "csxl doctor" finds (exe, Python, versions).
    Dim exe As String, lang As String, report As String
    lang = csxl_Lang()
    exe = csxl_FindExe()
    report = Msg("addin", lang) & " " & ThisWorkbook.FullName & vbCrLf
    If exe = "" Then
        report = report & Msg("exe", lang) & " " & Msg("none", lang) & vbCrLf
    Else
        report = report & Msg("exe", lang) & " " & exe & vbCrLf
    End If
    report = report & Msg("python", lang) & " " & csxl_Setting("python") & vbCrLf
    report = report & "Excel " & Application.Version & ", " & Application.OperatingSystem
    report = report & vbCrLf & vbCrLf & Msg("trust", lang)
    MsgBox report, vbInformation, "csxl"
    csxl_Run Array("doctor", "--addin", ThisWorkbook.FullName)
End Sub

' ------------------------------------------------------------------ dialogs
Private Sub ShowPlanSheet(ByVal english As String, ByVal chinese As String, ByVal otherwise As String)
    Dim ws As Object
    If Not ActiveWorkbook Is Nothing Then Set ws = csxl_PlanSheet(english, chinese)
    If ws Is Nothing Then
        MsgBox otherwise, vbInformation, "csxl"
    Else
        ws.Activate
    End If
End Sub

Private Function AskSaveAs(ByVal suggested As String, ByVal prompt As String) As String
    Dim answer As Variant
    answer = Application.GetSaveAsFilename(InitialFileName:=suggested, _
        FileFilter:="Excel (*.xlsx), *.xlsx", Title:=prompt)
    If VarType(answer) = vbString Then AskSaveAs = answer
End Function

Private Function AskOpen(ByVal prompt As String) As String
    Dim answer As Variant
    answer = Application.GetOpenFilename( _
        FileFilter:="Tickets (*.xlsx;*.xlsm;*.csv), *.xlsx;*.xlsm;*.csv", Title:=prompt)
    If VarType(answer) = vbString Then AskOpen = answer
End Function

Private Function AskFolder(ByVal prompt As String) As String
    #If Mac Then
        AskFolder = InputBox(prompt, "csxl")
    #Else
        With Application.FileDialog(4)  ' msoFileDialogFolderPicker
            .Title = prompt
            .AllowMultiSelect = False
            If .Show = -1 Then AskFolder = .SelectedItems(1)
        End With
    #End If
End Function
