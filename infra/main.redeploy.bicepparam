// A redeployment (README "Deploy") after the archive policy was locked: the same parameters as main.bicepparam with
// archivePolicyLocked = true; SMTP_PASSWORD unset leaves the stored secret as it is.
using 'main.bicep'

param name = 'camsafety'
param environment = 'prod'
param dsmbPrincipalId = '11111111-1111-1111-1111-111111111111'
param openReportReaderPrincipalId = '22222222-2222-2222-2222-222222222222'
param dataManagerPrincipalId = '33333333-3333-3333-3333-333333333333'
param operatorPrincipalId = '44444444-4444-4444-4444-444444444444'
param safetyPhysicianEmails = ['safety.physician@example.org']
param dsmbEmails = ['dsmb.chair@example.org', 'dsmb.statistician@example.org']
param dataManagerEmails = ['data.manager@example.org']
param escalationEmails = ['medical.monitor@example.org']
param mailFrom = 'Camrelizumab Safety <safety-noreply@example.org>'
param smtpHost = 'smtp.example.org'
param smtpUserName = 'safety-noreply@example.org'
param smtpPassword = readEnvironmentVariable('SMTP_PASSWORD', '')
param writeSmtpPassword = !empty(readEnvironmentVariable('SMTP_PASSWORD', ''))
param archivePolicyLocked = true
