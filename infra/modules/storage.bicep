@description('Storage account name: 3-24 lower-case letters and digits.')
param name string

@description('Azure region.')
param location string

param tags object

@description('Days a raw export in ae-archive is kept immutable (time-based retention, WORM).')
@minValue(1)
param archiveRetentionDays int

@description('True once the ae-archive policy is locked: a locked policy cannot be PUT again, so it is left out.')
param archivePolicyLocked bool

@description('Container holding the function app package (Flex Consumption deployment storage).')
param deploymentContainerName string

@description('Container for Event Grid events that could not be delivered to the blob trigger.')
param deadLetterContainerName string

// Containers the pipeline uses (README "Storage layout"); the names are those of src/Camrelizumab.Safety.Storage/StorageNames.cs.
var dataContainers = [
  'ae-inbox'
  'ae-quarantine'
  'ingest-reports'
  'dsmb-closed'
  'dsmb-open'
  'evaluation-inputs'
  'coding-decisions'
]
var tables = [
  'AdverseEvents'
  'AdverseEventHistory'
  'AdverseEventQualifiers'
  'Subjects'
  'ArmAggregates'
  'RuleEvaluations'
  'SubjectFacts'
  'AlertLedger'
  'FileLedger'
  'CodingDecisions'
]

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    // Identity only: no account keys, no SAS signed with them.
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: 30 }
    containerDeleteRetentionPolicy: { enabled: true, days: 30 }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [
  for container in concat(dataContainers, [deploymentContainerName, deadLetterContainerName]): {
    parent: blobService
    name: container
    properties: { publicAccess: 'None' }
  }
]

resource archive 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: 'ae-archive'
  properties: { publicAccess: 'None' }
}

// Raw exports cannot be altered or deleted while the retention runs. Lock the policy after the first deployment
// (README "Deploy"); an unlocked policy can still be shortened by an owner, a locked one cannot, and Azure refuses a PUT
// of a locked policy, so redeployments after locking pass archivePolicyLocked = true and leave it alone.
resource archiveWorm 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2024-01-01' = if (!archivePolicyLocked) {
  parent: archive
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: archiveRetentionDays
    allowProtectedAppendWrites: false
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource tableResources 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [
  for table in tables: {
    parent: tableService
    name: table
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: account
  name: 'default'
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
